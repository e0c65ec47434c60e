package io.understudy.agent.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A backup file: a zip of a data directory with paths relative to it, regular files and directories only. Everything
 * is streamed, so a backup of any size takes a fixed amount of memory.
 */
final class BackupArchive {
    private static final int BUFFER = 64 * 1024;

    private BackupArchive() {}

    /** The size and checksum of a file just written or read. */
    record Sum(long size, String sha256) {}

    /** An archive whose entries would land outside the directory it is unpacked into (zip-slip). */
    static final class EscapingEntry extends IOException {
        EscapingEntry(String entry) {
            super("entry '" + entry + "' would land outside the data directory");
        }
    }

    /**
     * Zips {@code dir} into the new file {@code out}, hashing the bytes as they are written, and forces them to disk
     * before returning so that a rename afterwards never publishes a half-written backup.
     */
    static Sum zip(Path dir, Path out) throws IOException {
        MessageDigest md = sha256();
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ZipOutputStream zip = new ZipOutputStream(new DigestOutputStream(
                     new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER), md))) {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    // Directories get their own entries so that empty ones come back on restore.
                    if (!d.equals(dir)) {
                        ZipEntry e = new ZipEntry(entryName(dir, d) + "/");
                        e.setLastModifiedTime(attrs.lastModifiedTime());
                        zip.putNextEntry(e);
                        zip.closeEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    // Sockets, fifos and symbolic links are not data: a link could point anywhere on the server.
                    if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE;
                    ZipEntry e = new ZipEntry(entryName(dir, f));
                    e.setLastModifiedTime(attrs.lastModifiedTime());
                    zip.putNextEntry(e);
                    try (InputStream in = Files.newInputStream(f)) {
                        in.transferTo(zip);
                    }
                    zip.closeEntry();
                    return FileVisitResult.CONTINUE;
                }
            });
            zip.finish();
            zip.flush();
            ch.force(true);
            return new Sum(ch.size(), hex(md));
        }
    }

    /**
     * Unpacks {@code zip} into {@code into} (which must exist) and returns the size and checksum of the bytes read,
     * for the caller to compare with what the backup claims: the archive is read once, unpacked and verified together.
     *
     * @throws EscapingEntry when an entry names a path outside {@code into}; what was unpacked so far stays there
     */
    static Sum unzip(Path zip, Path into) throws IOException {
        MessageDigest md = sha256();
        Path base = into.toAbsolutePath().normalize();
        try (CountingInputStream counted = new CountingInputStream(new DigestInputStream(
                new BufferedInputStream(Files.newInputStream(zip), BUFFER), md));
             ZipInputStream in = new ZipInputStream(counted)) {
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
            // The central directory follows the entries: it belongs to the checksum too.
            counted.transferTo(OutputStream.nullOutputStream());
            return new Sum(counted.count, hex(md));
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

    /** Zip entry names use '/' whatever the platform's separator. */
    private static String entryName(Path dir, Path p) {
        StringBuilder s = new StringBuilder();
        for (Path part : dir.relativize(p)) {
            if (!s.isEmpty()) s.append('/');
            s.append(part);
        }
        return s.toString();
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
