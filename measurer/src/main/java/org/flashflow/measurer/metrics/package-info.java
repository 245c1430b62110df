/**
 * The measurer's Prometheus metrics: the adapter behind the core's {@code MeasurerMetrics} port.
 * The only measurer package that imports the Prometheus client; it holds no measurer state.
 */
package org.flashflow.measurer.metrics;
