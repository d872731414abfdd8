#!/usr/bin/env bash
# Long fuzzing run of the Engine.IO and Socket.IO decoders: the same seeded mutation fuzzers as ./test.sh
# (tests/SocketIo.Transport.Tests/Robustness, tests/SocketIo.Actors.Tests/Fuzz) with FUZZ_ITERATIONS inputs per
# decoder (default 1,000,000) and FUZZ_SEED (default: a fixed seed; pass another to explore new inputs).
# A failure prints the seed and the exact input (hex) that broke a property. Bounded: each run has a watchdog.
# Usage: scripts/fuzz.sh [ITERATIONS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_ITERATIONS=${1:-${FUZZ_ITERATIONS:-1000000}}
export FUZZ_SEED=${2:-${FUZZ_SEED:-20240801}}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
OUT=${FUZZ_OUT:-$PWD/.fuzz-out}
mkdir -p "$OUT"
export FUZZ_REPORT=$OUT/fuzz-report.txt
rm -f "$FUZZ_REPORT"
echo "fuzzing with $FUZZ_ITERATIONS inputs per decoder, seed $FUZZ_SEED"
rc=0
dotnet test tests/SocketIo.Transport.Tests -c Release --nologo --filter "FullyQualifiedName~Robustness.EngineDecoderFuzzTests" \
  --logger "console;verbosity=minimal" > "$OUT/transport.log" 2>&1 || rc=1
dotnet test tests/SocketIo.Actors.Tests -c Release --nologo --filter "FullyQualifiedName~Fuzz" \
  --logger "console;verbosity=minimal" > "$OUT/actors.log" 2>&1 || rc=1
cat "$FUZZ_REPORT" 2>/dev/null || true
if [ "$rc" -ne 0 ]; then
  grep -hE "Failed |Error Message|input \(|failed:" "$OUT/transport.log" "$OUT/actors.log" | head -40
  echo "fuzz.sh: FAILED (logs in $OUT)"
  exit 1
fi
echo "fuzz.sh: all decoders survived $FUZZ_ITERATIONS inputs each (0 exceptions, 0 hangs, allocation within bounds)"
