/**
 * The Prometheus endpoint both daemons serve ({@code [metrics] addr}): reading the address and
 * running the client library's HTTP server. No metric lives here; each daemon registers its own.
 */
package org.flashflow.common.metrics;
