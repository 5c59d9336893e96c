/**
 * The delegate side shipped as resources: the forced-command dispatcher and the deploy scripts,
 * listed with their install paths ({@code BundledScripts}). May use: the JDK only.
 */
package dev.delegator.scripts;
