#!/usr/bin/env bash
# Step time of the generated DCGAN (TorchSharp 0.107 / libtorch 2.10) against the same DCGAN in
# Debian's PyTorch, same CPU, threads and batches. Installs python3-torch when missing (about 1 GB).
# Usage: bash bench/pytorch/compare.sh [batches] [repeats]    e.g. bash bench/pytorch/compare.sh 64,256 12
set -euo pipefail
cd "$(dirname "$0")/../.."
batches=${1:-64,256}
repeats=${2:-12}
threads=$(nproc)

if ! python3 -c "import torch" 2>/dev/null && ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "installing Debian's python3-torch…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch >/dev/null
fi
python=$(/usr/bin/python3 -c "import torch" 2>/dev/null && echo /usr/bin/python3 || echo python3)

dotnet build bench/DcganStep -c Release -v quiet >/dev/null
csharp=$(dotnet run --project bench/DcganStep -c Release --no-build -- --models dcgan --batches "$batches" --repeats "$repeats")
pytorch=$("$python" bench/pytorch/dcgan_step.py --batches "$batches" --repeats "$repeats" --threads "$threads")
echo "$csharp"
echo "$pytorch"
echo
echo "batch  generated (TorchSharp) ms  PyTorch ms  PyTorch / generated"
for batch in ${batches//,/ }; do
  ours=$(echo "$csharp" | awk -v b="$batch" '$1 == b {print $2}')
  theirs=$(echo "$pytorch" | awk -v b="$batch" '$1 == "batch" && $2 == b {print $4}')
  awk -v b="$batch" -v o="$ours" -v t="$theirs" 'BEGIN { printf "%5d  %24.1f  %10.1f  %19.2f\n", b, o, t, t / o }'
done
