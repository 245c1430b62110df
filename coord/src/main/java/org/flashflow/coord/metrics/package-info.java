/**
 * The coordinator's Prometheus metrics: the adapter behind the core's {@code CoordMetrics} port.
 * The only coordinator package that imports the Prometheus client; it holds no coordinator state.
 */
package org.flashflow.coord.metrics;
