/**
 * The measurer's TLS connection to the coordinator (docs/protocol.md section 2): client, pipeline,
 * codec and the thin handler that forwards to the core. Decides nothing about measurements.
 */
package org.flashflow.measurer.net;
