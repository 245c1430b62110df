/**
 * The v3bw bandwidth file: its rendering, its inputs saved from tor (consensus and server
 * descriptors), the atomic writer with its symlink, and the service and timer that make one.
 */
package org.flashflow.coord.v3bw;
