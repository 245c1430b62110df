/**
 * Small helpers for Netty-based network code shared by the daemons: the pipelines' handler names
 * and error descriptions. No state, no pipelines.
 */
package org.flashflow.common.net;
