/**
 * Netty stages for the measurer protocol: JSON framing and the typed-message codec handlers, shared
 * by the coordinator's server and the measurer's client. Decides nothing about messages.
 */
package org.flashflow.proto.netty;
