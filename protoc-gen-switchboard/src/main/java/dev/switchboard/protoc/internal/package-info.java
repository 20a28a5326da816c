/**
 * The generator's implementation: {@link dev.switchboard.protoc.internal.Main} (the process),
 * {@link dev.switchboard.protoc.internal.SwitchboardGenerator} (request to response), {@link
 * dev.switchboard.protoc.internal.JavaNames} (protoc's Java naming rules) and {@link
 * dev.switchboard.protoc.internal.ServiceWriter} (the source of one service's class). Not exported.
 */
package dev.switchboard.protoc.internal;
