#!/usr/bin/env node
// oaslint's npm launcher. The binary itself comes in a per-platform package,
// @oaslint/<os>-<cpu>[-musl], which npm installs as the one optional dependency whose `os`,
// `cpu` and `libc` match this machine. This file finds it and runs it with the arguments,
// standard streams, exit code and signals of this process passed through unchanged.
"use strict";

const childProcess = require("child_process");
const os = require("os");
const platforms = require("../platforms.json");

// The exit code oaslint uses for errors other than findings.
const EXIT_ERROR = 2;

function isMusl() {
  if (process.platform !== "linux") return false;
  try {
    // glibc's version is in Node.js's own diagnostic report; on musl it is absent.
    if (process.report) {
      process.report.excludeNetwork = true;
      return !process.report.getReport().header.glibcVersionRuntime;
    }
  } catch (_) {
    // An old Node.js: ask the loader below.
  }
  try {
    return childProcess.execFileSync("ldd", ["--version"], { encoding: "utf8", stdio: "pipe" }).includes("musl");
  } catch (err) {
    return String(err.stderr || "").includes("musl");
  }
}

/** The platform packages that can run here, preferred first. */
function candidates() {
  const key = `${process.platform}-${process.arch}`;
  if (process.platform !== "linux") return [key];
  // The musl builds are static, so glibc systems can fall back on them; not the reverse.
  return isMusl() ? [`${key}-musl`] : [key, `${key}-musl`];
}

function fail(message) {
  process.stderr.write(`oaslint: ${message}\n`);
  process.exit(EXIT_ERROR);
}

function findBinary() {
  if (process.env.OASLINT_BINARY) return process.env.OASLINT_BINARY;
  const names = candidates().filter((name) => Object.prototype.hasOwnProperty.call(platforms, name));
  for (const name of names) {
    try {
      return require.resolve(`@oaslint/${name}/${platforms[name].binary}`);
    } catch (_) {
      // Not installed: try the next.
    }
  }
  const here = `${process.platform} ${process.arch}${isMusl() ? " (musl)" : ""}`;
  if (names.length === 0) {
    fail(
      `no prebuilt binary for ${here}; there are binaries for ${Object.keys(platforms).join(", ")}.\n` +
        "Build it from source with a Rust toolchain (`cargo install --locked oaslint`), then run that\n" +
        "oaslint directly or set OASLINT_BINARY to its path.",
    );
  }
  fail(
    `the binary for ${here} is missing: the package ${names.map((name) => `@oaslint/${name}`).join(" or ")},\n` +
      "an optional dependency of oaslint, is not installed. Reinstall without --omit=optional\n" +
      "(--no-optional); if package-lock.json was written on another platform, delete node_modules and\n" +
      "package-lock.json and install again. Or set OASLINT_BINARY to an oaslint executable.",
  );
}

function run(binary) {
  const child = childProcess.spawn(binary, process.argv.slice(2), { stdio: "inherit" });
  // Signals sent to this process (a CI runner's cancel, `kill`, a terminal's hang-up) go to
  // oaslint too; this process then ends when, and as, oaslint ends. (Ctrl+C reaches both
  // already, through the terminal's process group: oaslint ends on the first.)
  const forwarded = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2"].filter(
    (signal) => process.platform !== "win32" || signal === "SIGINT",
  );
  const forward = (signal) => {
    if (process.platform !== "win32") child.kill(signal);
  };
  for (const signal of forwarded) process.on(signal, forward);

  child.on("error", (err) => fail(`cannot run ${binary}: ${err.message}`));
  child.on("exit", (code, signal) => {
    for (const each of forwarded) process.removeListener(each, forward);
    if (signal) {
      // Die of the same signal, so that the shell sees what it would have seen from oaslint.
      try {
        process.kill(process.pid, signal);
      } catch (_) {
        // Fall through to the exit code.
      }
      // Reached for signals Node.js ignores (SIGPIPE): the shell's code for them.
      process.exitCode = 128 + (os.constants.signals[signal] || 0);
      return;
    }
    process.exitCode = code === null ? EXIT_ERROR : code;
  });
}

run(findBinary());
