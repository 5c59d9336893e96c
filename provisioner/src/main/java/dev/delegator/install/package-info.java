/**
 * Where the scripts apply installs come from (the bundled dispatcher and deploy scripts).
 * May use: {@code dev.delegator.scripts}.
 */
package dev.delegator.install;
