package io.understudy.lockstep;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.api.AsyncApi;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;

/**
 * Group commit without Ratis: the entries the batcher sends are held here, so what waits and what leaves together is
 * decided by the test, not by the machine's speed.
 */
class BatcherTest {
    private record Sent(Entry.Batch batch, CompletableFuture<RaftClientReply> reply) {}

    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final RaftClient client = heldClient();

    private RaftClient heldClient() {
        AsyncApi async = (AsyncApi) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {AsyncApi.class}, (p, m, args) -> {
            if (!m.getName().equals("send") || args == null || args.length != 1) throw new UnsupportedOperationException(m.getName());
            Entry e = Entry.decode(((Message) args[0]).getContent().toByteArray());
            CompletableFuture<RaftClientReply> f = new CompletableFuture<>();
            sent.add(new Sent((Entry.Batch) e, f));
            return f;
        });
        return (RaftClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RaftClient.class}, (p, m, args) -> {
            if (m.getName().equals("async")) return async;
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private static Entry.Input input(String id) {
        return new Entry.Input(id, ("incr " + id).getBytes(StandardCharsets.UTF_8));
    }

    private static RaftClientReply reply(byte[] content, long index) {
        return RaftClientReply.newBuilder().setClientId(ClientId.randomId()).setServerId(RaftPeerId.valueOf("primary"))
                .setGroupId(RaftGroupId.randomId()).setCallId(1).setSuccess().setLogIndex(index)
                .setMessage(Message.valueOf(ByteString.copyFrom(content))).build();
    }

    /** Answers a sent batch the way a member of the pair does: one reply per input, "reply-to-ID". */
    private static RaftClientReply answered(Entry.Batch b, long index) {
        List<byte[]> replies = new ArrayList<>();
        for (Entry.Input in : b.inputs()) replies.add(("reply-to-" + in.requestId()).getBytes(StandardCharsets.UTF_8));
        return reply(Reply.ofAll(replies), index);
    }

    private static String text(Batcher.Answer a) {
        return new String(a.reply().orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void aLoneInputLeavesAtOnce_inputsThatArriveWhileEntriesCommitLeaveTogether_eachCallerGetsItsOwnReply() throws Exception {
        Batcher b = new Batcher(client, Batcher.MAX_INPUTS);
        List<CompletableFuture<Batcher.Answer>> first = new ArrayList<>();
        for (int i = 0; i < Batcher.IN_FLIGHT; i++) first.add(b.submit(input("a" + i)));
        assertThat(sent).as("nothing in flight: each leaves at once, alone").hasSize(Batcher.IN_FLIGHT)
                .allSatisfy(s -> assertThat(s.batch().inputs()).hasSize(1));

        List<CompletableFuture<Batcher.Answer>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) waiting.add(b.submit(input("b" + i)));
        assertThat(sent).as("every entry slot is taken: the ten wait").hasSize(Batcher.IN_FLIGHT);

        sent.get(0).reply().complete(answered(sent.get(0).batch(), 7));
        assertThat(text(first.get(0).join())).isEqualTo("reply-to-a0");
        assertThat(first.get(0).join().index()).isEqualTo(7);
        assertThat(sent).hasSize(Batcher.IN_FLIGHT + 1);
        Sent together = sent.get(Batcher.IN_FLIGHT);
        assertThat(together.batch().inputs()).extracting(Entry.Input::requestId)
                .containsExactly("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9");

        together.reply().complete(answered(together.batch(), 9));
        for (int i = 0; i < 10; i++) {
            assertThat(text(waiting.get(i).join())).isEqualTo("reply-to-b" + i);
            assertThat(waiting.get(i).join().index()).isEqualTo(9);
        }
        assertThat(b.inputsPerEntry()).isEqualTo(14.0 / 5);
    }

    @Test
    void anEntryTheArbiterAnswered_leavesEveryCallerOfItWithoutAReply_soEachRetries() {
        Batcher b = new Batcher(client, Batcher.MAX_INPUTS);
        for (int i = 0; i < Batcher.IN_FLIGHT; i++) b.submit(input("a" + i));
        CompletableFuture<Batcher.Answer> x = b.submit(input("x"));
        CompletableFuture<Batcher.Answer> y = b.submit(input("y"));
        sent.get(0).reply().complete(reply(Reply.none(), 3));
        sent.get(Batcher.IN_FLIGHT).reply().complete(reply(Reply.none(), 4));
        assertThat(x.join().reply()).isEmpty();
        assertThat(y.join().reply()).isEmpty();
    }

    @Test
    void aFailedEntry_failsEveryCallerOfIt_andTheNextWaitingOnesStillLeave() {
        Batcher b = new Batcher(client, Batcher.MAX_INPUTS);
        List<CompletableFuture<Batcher.Answer>> first = new ArrayList<>();
        for (int i = 0; i < Batcher.IN_FLIGHT; i++) first.add(b.submit(input("a" + i)));
        CompletableFuture<Batcher.Answer> later = b.submit(input("later"));
        sent.get(0).reply().completeExceptionally(new java.io.IOException("leader gone"));
        assertThat(first.get(0)).isCompletedExceptionally();
        assertThat(sent).hasSize(Batcher.IN_FLIGHT + 1);
        sent.get(Batcher.IN_FLIGHT).reply().complete(answered(sent.get(Batcher.IN_FLIGHT).batch(), 5));
        assertThat(text(later.join())).isEqualTo("reply-to-later");
    }

    @Test
    void aLimitOfOne_sendsEveryInputInItsOwnEntry() {
        Batcher b = new Batcher(client, 1);
        for (int i = 0; i < Batcher.IN_FLIGHT + 3; i++) b.submit(input("a" + i));
        for (int i = 0; i < 3; i++) sent.get(i).reply().complete(answered(sent.get(i).batch(), i));
        assertThat(sent).hasSize(Batcher.IN_FLIGHT + 3).allSatisfy(s -> assertThat(s.batch().inputs()).hasSize(1));
    }

    @Test
    void aBatchAndItsRepliesSurviveTheirEncoding() {
        Entry.Batch b = new Entry.Batch(List.of(input("r1"), new Entry.Input("r2", new byte[0])));
        Entry back = Entry.decode(Entry.encode(b));
        assertThat(back).isInstanceOf(Entry.Batch.class);
        assertThat(((Entry.Batch) back).inputs()).extracting(Entry.Input::requestId).containsExactly("r1", "r2");
        assertThat(((Entry.Batch) back).inputs().get(1).payload()).isEmpty();
        assertThat(Reply.readAll(Reply.ofAll(List.of("1".getBytes(StandardCharsets.UTF_8), new byte[0])))).hasValueSatisfying(l -> {
            assertThat(l).hasSize(2);
            assertThat(new String(l.get(0), StandardCharsets.UTF_8)).isEqualTo("1");
            assertThat(l.get(1)).isEmpty();
        });
        assertThat(Reply.readAll(Reply.none())).isEmpty();
        assertThat(Reply.readAll(Reply.of("1".getBytes(StandardCharsets.UTF_8)))).isEmpty();
    }
}
