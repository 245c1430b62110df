/**
 * The measurer's domain core: {@link org.flashflow.measurer.Measurer}, the state owner of one
 * measurer's live measurements (docs/protocol.md sections 2 and 4, measurer side), and the ports it
 * talks through. Nothing here imports Netty or jtorctl, so that the whole flow is tested with fakes
 * and virtual time.
 */
package org.flashflow.measurer;
