#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The web intake under load: 64 clients send 20,000 reports through `motions serve`'s API while
# a coordinator runs `motions report` and `motions log` on the same database; prints throughput,
# p50/p99 latency, the server's peak memory, whether anything was lost or counted twice, and
# the same reports sent as one `motions log` process each. See the top of bench/load.rs.
#
# Usage: bench/load.sh [--clients N] [--reports N] [--log-sample N] [--work DIR]
# Needs: cargo. Everything runs on 127.0.0.1; the work folder defaults to $TMPDIR/motions-load.

set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin motions
cargo run --release --quiet --example load -- "$@"
