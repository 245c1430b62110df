/**
 * The coordinator's domain core: the state owner ({@code Coordinator}), measurements and their
 * phases, the estimate, and the ports through which it talks to measurers, tor and files. Imports
 * nothing from {@code io.netty} and no jtorctl type; everything here runs on one event loop.
 */
package org.flashflow.coord;
