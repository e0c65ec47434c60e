package io.understudy.cli.commands;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How long {@code --wait}/{@code --watch} follow a job, and how often they poll (hidden: tests shorten it). */
public class WaitOptions {
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = JobFollower.DurationConverter.class,
            description = "How long to follow the job before giving up (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--poll-interval", hidden = true, defaultValue = "500ms", converter = JobFollower.DurationConverter.class)
    Duration pollInterval;
}
