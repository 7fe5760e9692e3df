#!/usr/bin/env node
// Builds oaslint's npm tarballs: the `oaslint` launcher package (npm/oaslint) and the
// per-platform packages (@oaslint/<name>, with `os`, `cpu` and `libc` from
// npm/oaslint/platforms.json) from binaries built elsewhere.
//
//   node npm/pack.js --out DIR [--main] [--platform NAME --binary PATH]...
//
// The version is Cargo.toml's; npm/oaslint/package.json must agree with it (and list every
// platform package at that version), or this fails. Prints the path of each tarball.
"use strict";

const childProcess = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const mainDir = path.join(root, "npm", "oaslint");
const platforms = require("./oaslint/platforms.json");
const licences = ["LICENSE-MIT", "LICENSE-APACHE"];

function die(message) {
  process.stderr.write(`npm/pack.js: ${message}\n`);
  process.exit(1);
}

function cargoVersion() {
  let section = null;
  for (const raw of fs.readFileSync(path.join(root, "Cargo.toml"), "utf8").split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) section = line;
    const found = section === "[package]" && /^version\s*=\s*"([^"]+)"/.exec(line);
    if (found) return found[1];
  }
  return die("Cargo.toml has no [package] version");
}

function parseArgs(argv) {
  const args = { out: null, main: false, platforms: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--out") args.out = path.resolve(argv[++i] || die("--out needs a directory"));
    else if (arg === "--main") args.main = true;
    else if (arg === "--platform") {
      const name = argv[++i];
      if (argv[++i] !== "--binary" || !argv[i + 1]) die("--platform NAME must be followed by --binary PATH");
      args.platforms.push({ name, binary: path.resolve(argv[++i]) });
    } else die(`unknown argument ${arg}`);
  }
  if (!args.out || (!args.main && args.platforms.length === 0)) {
    die("usage: node npm/pack.js --out DIR [--main] [--platform NAME --binary PATH]...");
  }
  return args;
}

function checkMain(version) {
  const manifest = JSON.parse(fs.readFileSync(path.join(mainDir, "package.json"), "utf8"));
  if (manifest.version !== version) {
    die(`npm/oaslint/package.json has version ${manifest.version}, Cargo.toml ${version}`);
  }
  const expected = Object.keys(platforms).map((name) => `@oaslint/${name}@${version}`);
  const listed = Object.entries(manifest.optionalDependencies || {}).map(([name, range]) => `${name}@${range}`);
  if (JSON.stringify(listed.sort()) !== JSON.stringify(expected.sort())) {
    die(`npm/oaslint/package.json's optionalDependencies should be exactly ${expected.join(", ")}`);
  }
}

/** `npm pack` a staged copy of a package; returns the tarball's path. */
function pack(stage, out) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const json = childProcess.execFileSync(npm, ["pack", "--json", "--pack-destination", out], {
    cwd: stage,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    shell: process.platform === "win32",
  });
  return path.join(out, JSON.parse(json)[0].filename);
}

function stageMain(stage) {
  fs.mkdirSync(path.join(stage, "bin"), { recursive: true });
  for (const file of ["package.json", "README.md", "platforms.json", path.join("bin", "oaslint.js")]) {
    fs.copyFileSync(path.join(mainDir, file), path.join(stage, file));
  }
  fs.chmodSync(path.join(stage, "bin", "oaslint.js"), 0o755);
  for (const file of licences) fs.copyFileSync(path.join(root, file), path.join(stage, file));
}

function stagePlatform(stage, name, binary, version) {
  const platform = platforms[name] || die(`unknown platform ${name}; known: ${Object.keys(platforms).join(", ")}`);
  if (!fs.existsSync(binary)) die(`no binary at ${binary}`);
  const libc = platform.libc ? ` (${platform.libc})` : "";
  const manifest = {
    name: `@oaslint/${name}`,
    version,
    description: `oaslint's binary for ${platform.os} ${platform.cpu}${libc} (${platform.target}); install \`oaslint\`, not this`,
    homepage: "https://github.com/oaslint/oaslint#readme",
    repository: { type: "git", url: "git+https://github.com/oaslint/oaslint.git" },
    license: "MIT OR Apache-2.0",
    os: [platform.os],
    cpu: [platform.cpu],
    ...(platform.libc ? { libc: [platform.libc] } : {}),
    files: [platform.binary, ...licences],
    preferUnplugged: true,
    publishConfig: { access: "public" },
  };
  fs.mkdirSync(stage, { recursive: true });
  fs.writeFileSync(path.join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.writeFileSync(
    path.join(stage, "README.md"),
    `# @oaslint/${name}\n\nThe \`oaslint\` binary for ${platform.target}. Install [\`oaslint\`](https://www.npmjs.com/package/oaslint), which picks this package when it fits the machine.\n`,
  );
  fs.copyFileSync(binary, path.join(stage, platform.binary));
  fs.chmodSync(path.join(stage, platform.binary), 0o755);
  for (const file of licences) fs.copyFileSync(path.join(root, file), path.join(stage, file));
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const version = cargoVersion();
  checkMain(version);
  fs.mkdirSync(args.out, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "oaslint-npm-"));
  try {
    if (args.main) {
      const stage = path.join(work, "oaslint");
      stageMain(stage);
      console.log(pack(stage, args.out));
    }
    for (const { name, binary } of args.platforms) {
      const stage = path.join(work, name);
      stagePlatform(stage, name, binary, version);
      console.log(pack(stage, args.out));
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
