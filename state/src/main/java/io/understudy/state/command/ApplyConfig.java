package io.understudy.state.command;

import io.understudy.model.config.DataCenterConfig;
import java.time.Instant;

/** Replaces the configuration as one atomic change, refused whole if it is invalid or would orphan a running profile. */
public record ApplyConfig(DataCenterConfig config, String by, Instant at) implements Command {}
