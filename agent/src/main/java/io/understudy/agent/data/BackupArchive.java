package io.understudy.agent.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backup file: a gzipped POSIX tar of a data directory ({@link TarBackup}), which keeps owners, modes, links and
 * holes. Zips written before the tar are still read, with what a zip keeps: files, directories and times. Everything is
 * streamed, so a backup of any size takes a fixed amount of memory.
 */
final class BackupArchive {
    private static final Logger log = LoggerFactory.getLogger(BackupArchive.class);
    private static final int BUFFER = 64 * 1024;

    private BackupArchive() {}

    /** The size and checksum of a file just written or read. */
    record Sum(long size, String sha256) {}

    /** An archive whose entries or links would land outside the directory it is unpacked into (zip-slip). */
    static final class EscapingEntry extends IOException {
        EscapingEntry(String entry) {
            super("entry '" + entry + "' would land outside the data directory");
        }
    }

    /**
     * Packs {@code dir} into the new file {@code out}, hashing the bytes as they are written, and forces them to disk
     * before returning so that a rename afterwards never publishes a half-written backup. {@code home} is where the
     * directory lies for its workload (it differs from {@code dir} when that is a link): absolute links must point
     * inside it.
     */
    static Sum pack(Path dir, Path home, Path out) throws IOException {
        MessageDigest md = sha256();
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             GZIPOutputStream gz = new FastGzip(new DigestOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER), md));
             TarArchiveOutputStream tar = TarBackup.output(gz)) {
            TarBackup.write(dir, home, tar);
            tar.finish();
            gz.finish();
            gz.flush();
            ch.force(true);
            return new Sum(ch.size(), hex(md));
        }
    }

    /**
     * Unpacks {@code archive} into {@code into} (which must exist and will be renamed to {@code home}) and returns the
     * size and checksum of the bytes read, for the caller to compare with what the backup claims: the archive is read
     * once, unpacked and verified together. A zip from before the tar is unpacked as a zip, with a warning.
     *
     * @throws EscapingEntry when an entry or link leads outside {@code into}; what was unpacked so far stays there
     */
    static Sum unpack(Path archive, Path into, Path home) throws IOException {
        boolean zip = isZip(archive);
        MessageDigest md = sha256();
        try (CountingInputStream counted = new CountingInputStream(new DigestInputStream(
                new BufferedInputStream(Files.newInputStream(archive), BUFFER), md))) {
            InputStream decoded = zip ? new ZipInputStream(counted) : new GZIPInputStream(counted, BUFFER);
            try (decoded) {
                if (zip) {
                    log.warn("{} is a zip taken before backups kept owners, modes and links: its files are restored owned by "
                            + "this agent's user with default modes", archive.getFileName());
                    unzip((ZipInputStream) decoded, into);
                } else {
                    TarBackup.read(decoded, into, home);
                }
                // What follows the last entry (a zip's central directory, gzip's trailer) belongs to the checksum too.
                counted.transferTo(OutputStream.nullOutputStream());
            }
            return new Sum(counted.count, hex(md));
        }
    }

    /** Whether a backup file is a zip, as written before the tar: by its first bytes, whatever its name. */
    static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(2);
            return magic.length == 2 && magic[0] == 'P' && magic[1] == 'K';
        }
    }

    private static void unzip(ZipInputStream in, Path into) throws IOException {
        Path base = into.toAbsolutePath().normalize();
        for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
            Path target = base.resolve(e.getName()).normalize();
            if (e.getName().startsWith("/") || e.getName().contains("\\") || !target.startsWith(base) || target.equals(base)) {
                throw new EscapingEntry(e.getName());
            }
            if (e.isDirectory()) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    in.transferTo(out);
                }
            }
            if (e.getLastModifiedTime() != null) Files.setLastModifiedTime(target, e.getLastModifiedTime());
        }
    }

    /** Gzip at its fastest level: the agent shares the server with the workload it backs up. */
    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, BUFFER);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    /** The size and checksum of a whole file, read in fixed-size pieces. */
    static Sum sum(Path file) throws IOException {
        MessageDigest md = sha256();
        long size = 0;
        byte[] buf = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                size += n;
            }
        }
        return new Sum(size, hex(md));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    /** Counts the bytes read; skipping reads too, so that no byte passes by the digest underneath uncounted. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, BUFFER)];
            long skipped = 0;
            for (int r; skipped < n && (r = read(buf, 0, (int) Math.min(buf.length, n - skipped))) > 0; ) skipped += r;
            return skipped;
        }
    }
}
