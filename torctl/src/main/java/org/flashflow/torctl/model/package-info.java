/**
 * What tor says and how talking to it can fail, as values: events (CIRC, FF_MEAS), router status
 * entries, server descriptors, PROTOCOLINFO, their parsers, the reply callback and the failure
 * kinds. No I/O and no jtorctl type: the only part of {@code torctl} a domain core may touch.
 */
package org.flashflow.torctl.model;
