/**
 * The coordinator's domain core: the state owner ({@code Coordinator}), a measurement's lifecycle,
 * the estimate and the records it leaves, and the ports through which it talks to measurers, tor,
 * files and the bandwidth file. Imports nothing from {@code io.netty}, no jtorctl type and no
 * {@code java.nio.file}; everything here runs on one event loop.
 */
package org.flashflow.coord.core;
