package io.understudy.state.command;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * A change to the replicated state. Commands are applied in log order on every replica and again on replay, so
 * everything they depend on — the time included — travels inside them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ApplyConfig.class, name = "apply-config"),
        @JsonSubTypes.Type(value = ObserveServer.class, name = "observe-server"),
        @JsonSubTypes.Type(value = ConfirmFence.class, name = "confirm-fence"),
        @JsonSubTypes.Type(value = CreateJob.class, name = "create-job"),
        @JsonSubTypes.Type(value = StartStep.class, name = "start-step"),
        @JsonSubTypes.Type(value = FinishStep.class, name = "finish-step"),
        @JsonSubTypes.Type(value = ReserveSpare.class, name = "reserve-spare"),
        @JsonSubTypes.Type(value = MoveProfile.class, name = "move-profile"),
        @JsonSubTypes.Type(value = RaiseAlarm.class, name = "raise-alarm"),
        @JsonSubTypes.Type(value = ClearAlarm.class, name = "clear-alarm"),
        @JsonSubTypes.Type(value = SetMaintenance.class, name = "set-maintenance"),
        @JsonSubTypes.Type(value = LockProfile.class, name = "lock-profile"),
        @JsonSubTypes.Type(value = ReportResources.class, name = "report-resources"),
        @JsonSubTypes.Type(value = RecordHookAttempt.class, name = "record-hook-attempt"),
        @JsonSubTypes.Type(value = SetDrain.class, name = "set-drain"),
})
public sealed interface Command permits ApplyConfig, ObserveServer, ConfirmFence, CreateJob, StartStep, FinishStep,
        ReserveSpare, MoveProfile, RaiseAlarm, ClearAlarm, SetMaintenance, LockProfile,
        ReportResources, RecordHookAttempt, SetDrain {
    Instant at();
}
