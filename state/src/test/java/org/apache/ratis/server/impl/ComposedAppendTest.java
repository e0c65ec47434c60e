package org.apache.ratis.server.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.junit.jupiter.api.Test;

/**
 * Why understudy turns Ratis' composed appends off ({@code RatisGroup.serverProperties}): in Ratis 3.3.0 a follower
 * that is still appending entries 0..2121 and receives the same log resent as 0..2122 takes the second request for a
 * duplicate (same first index) and completes it with the first one, so it acknowledges 2122 without writing it. This
 * test lives in Ratis' package to reach that class; it pins the behaviour of the version we use, and fails once an
 * upgrade fixes it (then the setting may be reconsidered).
 */
class ComposedAppendTest {
    static List<LogEntryProto> entries(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(i -> LogEntryProto.newBuilder().setTerm(12).setIndex(i).build()).toList();
    }

    @Test
    void logResentWithOneMoreEntryWhileTheFirstCopyIsBeingAppended_theExtraEntryIsAcknowledgedButNeverWritten() {
        ServerImplUtils.NavigableIndices indices = new ServerImplUtils.NavigableIndices();
        List<Long> written = new ArrayList<>();
        CompletableFuture<Void> disk = new CompletableFuture<>();
        CompletableFuture<Void> first = indices.append(entries(0, 2121), es -> disk.thenRun(() -> es.forEach(e -> written.add(e.getIndex()))));
        CompletableFuture<Void> second = indices.append(entries(0, 2122), es -> disk.thenRun(() -> es.forEach(e -> written.add(e.getIndex()))));
        disk.complete(null);
        first.join();
        second.join(); // the follower would now answer SUCCESS, matchIndex 2122
        assertThat(written).as("entries written to the log").hasSize(2122).doesNotContain(2122L);
    }
}
