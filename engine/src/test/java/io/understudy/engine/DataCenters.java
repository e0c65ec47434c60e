package io.understudy.engine;

import io.understudy.model.config.DataCenterConfig;
import io.understudy.model.config.EventHandling;
import io.understudy.model.config.GroupPolicy;
import io.understudy.model.config.GroupSpec;
import io.understudy.model.config.ProfileSpec;
import io.understudy.model.config.FallbackMode;
import io.understudy.sim.DemoDataCenter;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** Variations of the demo data center for tests. */
final class DataCenters {
    private DataCenters() {}

    static DataCenterConfig demo() {
        return DemoDataCenter.build(4);
    }

    static DataCenterConfig withPolicy(DataCenterConfig dc, String group, UnaryOperator<GroupPolicy> edit) {
        return new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers(), dc.groups().stream()
                .map(g -> g.id().equals(group) ? new GroupSpec(g.id(), g.servers(), g.spares(), edit.apply(g.policy())) : g)
                .toList(), dc.profiles());
    }

    /** The data center with these global hooks (run for every group). */
    static DataCenterConfig withHooks(DataCenterConfig dc, io.understudy.model.config.HookSpec... hooks) {
        return new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers(), dc.groups(), dc.profiles(), java.util.List.of(hooks));
    }

    static DataCenterConfig withProfile(DataCenterConfig dc, String profile, UnaryOperator<ProfileSpec> edit) {
        return new DataCenterConfig(dc.name(), dc.enclosures(), dc.servers(), dc.groups(),
                dc.profiles().stream().map(p -> p.id().equals(profile) ? edit.apply(p) : p).toList());
    }

    static ProfileSpec dataDir(ProfileSpec p, String dir) {
        return new ProfileSpec(p.id(), p.group(), p.home(), p.identity(), p.workload(), p.requirements(), p.priority(), p.fallback(), p.protection(), dir);
    }

    static ProfileSpec fallback(ProfileSpec p, FallbackMode mode) {
        return new ProfileSpec(p.id(), p.group(), p.home(), p.identity(), p.workload(), p.requirements(), p.priority(), mode, p.protection(), p.dataDir(), p.after());
    }

    static Policy policy(GroupPolicy p) {
        return new Policy(p);
    }

    /** A copy of a policy with some fields changed. */
    static final class Policy {
        private GroupPolicy p;

        Policy(GroupPolicy p) {
            this.p = p;
        }

        Policy serializeJobs(boolean v) {
            p = new GroupPolicy(p.protection(), p.eventHandling(), p.heartbeatInterval(), p.failureTimeout(), p.anticipatedFailures(), p.preempt(), v, p.fenceTimeout(), p.bootTimeout(), p.verifyTimeout(), p.verifyRechecks(), p.fallbackHoldDown(), p.fallbackLimit(), p.fallbackWindow());
            return this;
        }

        Policy preempt(boolean v) {
            p = new GroupPolicy(p.protection(), p.eventHandling(), p.heartbeatInterval(), p.failureTimeout(), p.anticipatedFailures(), v, p.serializeJobs(), p.fenceTimeout(), p.bootTimeout(), p.verifyTimeout(), p.verifyRechecks(), p.fallbackHoldDown(), p.fallbackLimit(), p.fallbackWindow());
            return this;
        }

        Policy events(EventHandling v) {
            p = new GroupPolicy(p.protection(), v, p.heartbeatInterval(), p.failureTimeout(), p.anticipatedFailures(), p.preempt(), p.serializeJobs(), p.fenceTimeout(), p.bootTimeout(), p.verifyTimeout(), p.verifyRechecks(), p.fallbackHoldDown(), p.fallbackLimit(), p.fallbackWindow());
            return this;
        }

        Policy anticipated(int v) {
            p = new GroupPolicy(p.protection(), p.eventHandling(), p.heartbeatInterval(), p.failureTimeout(), v, p.preempt(), p.serializeJobs(), p.fenceTimeout(), p.bootTimeout(), p.verifyTimeout(), p.verifyRechecks(), p.fallbackHoldDown(), p.fallbackLimit(), p.fallbackWindow());
            return this;
        }

        Policy fallback(Duration holdDown, int limit, Duration window) {
            p = new GroupPolicy(p.protection(), p.eventHandling(), p.heartbeatInterval(), p.failureTimeout(), p.anticipatedFailures(), p.preempt(), p.serializeJobs(), p.fenceTimeout(), p.bootTimeout(), p.verifyTimeout(), p.verifyRechecks(), holdDown, limit, window);
            return this;
        }

        Policy boot(Duration timeout) {
            p = new GroupPolicy(p.protection(), p.eventHandling(), p.heartbeatInterval(), p.failureTimeout(), p.anticipatedFailures(), p.preempt(), p.serializeJobs(), p.fenceTimeout(), timeout, p.verifyTimeout(), p.verifyRechecks(), p.fallbackHoldDown(), p.fallbackLimit(), p.fallbackWindow(),
                    p.backupInterval(), p.syncInterval(), p.selfFenceTimeout(), p.fenceWithoutBmc(), p.splitBrainYield());
            return this;
        }

        Policy verify(Duration timeout, int rechecks) {
            p = new GroupPolicy(p.protection(), p.eventHandling(), p.heartbeatInterval(), p.failureTimeout(), p.anticipatedFailures(), p.preempt(), p.serializeJobs(), p.fenceTimeout(), p.bootTimeout(), timeout, rechecks, p.fallbackHoldDown(), p.fallbackLimit(), p.fallbackWindow());
            return this;
        }

        /** Data backups and syncs every {@code backup} / {@code sync}. */
        Policy data(Duration backup, Duration sync) {
            p = new GroupPolicy(p.protection(), p.eventHandling(), p.heartbeatInterval(), p.failureTimeout(), p.anticipatedFailures(), p.preempt(), p.serializeJobs(), p.fenceTimeout(), p.bootTimeout(), p.verifyTimeout(), p.verifyRechecks(), p.fallbackHoldDown(), p.fallbackLimit(), p.fallbackWindow(),
                    backup, sync, p.selfFenceTimeout(), p.fenceWithoutBmc(), p.splitBrainYield());
            return this;
        }

        Policy selfFence(Duration timeout, boolean withoutBmc, Duration fenceTimeout) {
            p = new GroupPolicy(p.protection(), p.eventHandling(), p.heartbeatInterval(), p.failureTimeout(), p.anticipatedFailures(), p.preempt(), p.serializeJobs(), fenceTimeout, p.bootTimeout(), p.verifyTimeout(), p.verifyRechecks(), p.fallbackHoldDown(), p.fallbackLimit(), p.fallbackWindow(),
                    p.backupInterval(), p.syncInterval(), timeout, withoutBmc, p.splitBrainYield());
            return this;
        }

        Policy protection(io.understudy.model.config.ProtectionLevel level) {
            p = new GroupPolicy(level, p.eventHandling(), p.heartbeatInterval(), p.failureTimeout(), p.anticipatedFailures(), p.preempt(), p.serializeJobs(), p.fenceTimeout(), p.bootTimeout(), p.verifyTimeout(), p.verifyRechecks(), p.fallbackHoldDown(), p.fallbackLimit(), p.fallbackWindow(),
                    p.backupInterval(), p.syncInterval(), p.selfFenceTimeout(), p.fenceWithoutBmc(), p.splitBrainYield());
            return this;
        }

        /** Automatic jobs back off {@code backoff} (doubling) after a failure, at most {@code limit} failures per window. */
        Policy retries(Duration backoff, int limit, Duration window) {
            p = p.withRetries(backoff, limit, window);
            return this;
        }

        GroupPolicy build() {
            return p;
        }
    }
}
