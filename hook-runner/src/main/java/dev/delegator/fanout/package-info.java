/**
 * One request on many hosts at once: bounded parallelism, line-prefixed output per host, the
 * summary and the exit rule. May use: {@code dev.delegator.client}, {@code dev.delegator.audit}.
 */
package dev.delegator.fanout;
