package io.understudy.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.understudy.cli.FakeApi;
import io.understudy.cli.TestCli;
import io.understudy.cli.TestCli.Result;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code understudy backup|sync PROFILE}: what was backed up and copied where, a failed copy as exit 1. */
class DataCommandTest {
    final FakeApi api = FakeApi.start();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void backup_saysWhatWasTakenAndWhereItWasCopied() {
        api.on("POST", "/api/v1/profiles/web/backup", 200, "{'profile':'web','source':'a','backup':{'profile':'web','name':'20261122T101500123Z',"
                + "'takenAt':1,'size':2048,'sha256':'0123456789abcdef0123'},'copiedTo':['b'],'upToDate':['c'],'failed':{}}");
        Result r = TestCli.run(api.args("backup", "web"));
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("backup 20261122T101500123Z of web (2048 bytes, sha256 0123456789ab…) on a")
                .contains("copied to b").contains("already there: c");
    }

    @Test
    void sync_aCopyThatFailed_isNamed_andExitsOne() {
        api.on("POST", "/api/v1/profiles/web/sync", 200, "{'profile':'web','source':'a','backup':{'profile':'web','name':'n1',"
                + "'takenAt':1,'size':10,'sha256':'ff'},'copiedTo':[],'upToDate':[],'failed':{'b':'copy of n1 from a is corrupt'}}");
        Result r = TestCli.run(api.args("sync", "web"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("FAILED on b: copy of n1 from a is corrupt");
    }

    @Test
    void backup_ofAProfileWithoutData_isTheServersRefusal() {
        api.on("POST", "/api/v1/profiles/web-1/backup", 409, "{'error':'profile web-1 names no dataDir: it has no data to back up','field':'profile'}");
        Result r = TestCli.run(api.args("backup", "web-1"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("names no dataDir");
    }
}
