/**
 * The measurer's tor: torctl's {@link org.flashflow.torctl.session.TorSession} seen through the
 * core's {@link org.flashflow.measurer.MeasurerTorPort}. The only package of the measurer that
 * knows torctl's exceptions; no state of the core lives here.
 */
package org.flashflow.measurer.tor;
