package io.understudy.state.ratis;

import java.io.IOException;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.util.LifeCycle;

/**
 * A Ratis state machine kept in one snapshot file, with the life cycle Ratis expects of one that is sent a leader's
 * snapshot: the control plane's machine and each lockstep pair's. Subclasses read a snapshot back in {@link #load}.
 */
public abstract class SnapshotMachine extends BaseStateMachine {
    protected final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

    /** Replaces the machine's state with the snapshot's (null: none taken yet). */
    protected abstract void load(SingleFileSnapshotInfo snapshot) throws IOException;

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        // Ratis pauses a RUNNING machine before installing a leader's snapshot and asserts PAUSED in reload:
        // a machine left in NEW would stop the updater thread (and the server) on the first install.
        getLifeCycle().startAndTransition(() -> {
            storage.init(raftStorage);
            load(storage.getLatestSnapshot());
        }, IOException.class);
    }

    /** Ratis pauses us before installing a leader's snapshot and then asserts PAUSED; BaseStateMachine's pause is empty. */
    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** Called after a snapshot was installed from the leader: read it back from disk, not from the cached one. */
    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }
}
