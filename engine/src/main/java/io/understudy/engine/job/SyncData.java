package io.understudy.engine.job;

import io.understudy.drivers.DataDriver;
import io.understudy.drivers.DataDriver.BackupInfo;
import io.understudy.drivers.DriverException;
import io.understudy.model.config.ProfileSpec;
import io.understudy.state.AlarmType;
import io.understudy.state.command.RaiseAlarm;
import java.util.Optional;

/**
 * Before a profile goes home, its data comes home too: the spare, whose workload has stopped, takes a last backup and
 * home copies it (the newer side is the source), so the workload at home starts from what the spare served. If the
 * spare cannot give one, home starts from the newest copy it keeps and a {@code data-sync-failed} alarm says what
 * may be missing: the profile is not held down for it.
 */
final class SyncData implements JobStep {
    @Override
    public String name() {
        return "sync-data";
    }

    @Override
    public Outcome run(StepContext c) {
        ProfileSpec profile = c.profile();
        Optional<DataDriver> driver = c.drivers().data();
        if (profile.dataDir() == null || driver.isEmpty()) return Outcome.done("profile " + profile.id() + " keeps no data");
        String from = c.job().source();
        String to = c.job().target();
        if (from == null || to == null || from.equals(to)) return Outcome.done("no other server holds newer data");
        DataDriver data = driver.get();
        try {
            BackupInfo b = data.backup(from, profile, c.call());
            data.copy(from, to, profile, b, false, c.call());
            return Outcome.done("backup " + b.name() + " of " + profile.id() + " taken on " + from + " and copied to " + to);
        } catch (DriverException e) {
            String have;
            try {
                have = data.backups(to, profile, c.call()).newest().map(b -> "its newest copy, " + b.name()).orElse("the data it has");
            } catch (DriverException unreachable) {
                have = "the data it has";
            }
            String text = to + " did not get the newest data of " + profile.id() + " from " + from + " (" + e.getMessage()
                    + "); it starts from " + have + ", and what " + from + " wrote since may be missing";
            c.submit(new RaiseAlarm(AlarmType.DATA_SYNC_FAILED, to, text, c.now()));
            return Outcome.done(text);
        }
    }
}
