/** Small helpers for Netty-based network code shared by the daemons; no state, no pipelines. */
package org.flashflow.common.net;
