package org.flashflow.torctl.model;

import java.time.Instant;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One router status entry as {@code GETINFO ns/...} returns it (dir-spec 3.4.1): the {@code r},
 * {@code s} and {@code w} lines.
 *
 * @param fingerprint 40 upper-case hex digits (the base64 identity, decoded)
 * @param bandwidthKbs the {@code w Bandwidth=} value in kB/s, or 0 if absent
 * @param measuredKbs the {@code w Measured=} value, if present
 */
public record RouterStatus(
    String nickname,
    String fingerprint,
    Instant published,
    String address,
    int orPort,
    int dirPort,
    Set<String> flags,
    long bandwidthKbs,
    OptionalLong measuredKbs) {}
