package org.flashflow.torctl.model;

/**
 * An asynchronous event from tor that FlashFlow cares about, parsed from the raw {@code 650} line
 * on jtorctl's reader thread. Immutable, so it can be posted to the event loop as it is.
 */
public sealed interface TorEvent permits CircEvent, FfMeasEvent, NewConsensusEvent {}
