/**
 * The coordinator's TLS server for measurers: pipeline (TLS, JSON framing, message codec) and the
 * thin handler that turns a connection into a {@link org.flashflow.coord.core.MeasurerLink} for the
 * core. Decides nothing about measurements; that is the core's job.
 */
package org.flashflow.coord.measurer;
