/**
 * Layer 2 of the tor client: {@link org.flashflow.torctl.async.AsyncTor} runs the blocking commands
 * of one connection on a private thread, each with a timeout, and hands replies to a callback.
 */
package org.flashflow.torctl.async;
