"""The encrypted container of `tabyin backup`: a tar stream sealed with libsodium's secretstream.

Layout of a file::

    magic "TABYINBK" | version (1 byte) | Argon2id opslimit (u32) | memlimit (u64) | salt (16)
    | secretstream header (24) | chunks: length (u32) + XChaCha20-Poly1305 ciphertext ...

The key is derived from the operator's passphrase with Argon2id (PyNaCl, which the reports module
already uses for the same purpose), so nothing new is trusted. Every chunk is authenticated; the
fixed header is the first chunk's associated data, so a changed work factor or salt fails like a
wrong passphrase; the last chunk carries the FINAL tag, so a cut-off archive is told apart from a
complete one; chunks cannot be reordered, dropped or repeated (secretstream chains them).

Only the first chunk can fail because of the passphrase: a failure there reads "wrong passphrase
(or a damaged header)", a failure later "altered or damaged". Both are refused before any byte of
the archive reaches the target.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from typing import BinaryIO

import nacl.bindings as sodium
import nacl.exceptions
import nacl.pwhash
import nacl.utils

from tabyin.core.errors import OperatorError

MAGIC = b"TABYINBK"
VERSION = 1
_FIXED = struct.Struct(">8sBIQ16s")  # magic, version, opslimit, memlimit, salt
HEADER_BYTES = _FIXED.size + sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES
CHUNK = 1 << 20  # plaintext bytes per sealed chunk
_LENGTH = struct.Struct(">I")
_ABYTES = sodium.crypto_secretstream_xchacha20poly1305_ABYTES
_TAG_MESSAGE = sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
_TAG_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL

# libsodium's "moderate" Argon2id: about a second and 256 MiB on a server, once per backup.
OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_MODERATE
MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_MODERATE
# A header cannot make restore spend more than this (a hostile file must not exhaust memory).
_MAX_OPSLIMIT = 20
_MAX_MEMLIMIT = 4 << 30
MIN_PASSPHRASE = 12


class ArchiveError(OperatorError):
    """The archive cannot be opened or trusted; the message says why, in one line."""


@dataclass(frozen=True)
class WorkFactor:
    opslimit: int = OPSLIMIT
    memlimit: int = MEMLIMIT


def _key(passphrase: str, salt: bytes, work: WorkFactor) -> bytes:
    key: bytes = nacl.pwhash.argon2id.kdf(
        sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES,
        passphrase.encode(),
        salt,
        opslimit=work.opslimit,
        memlimit=work.memlimit,
    )
    return key


class SealingWriter(io.RawIOBase):
    """A write-only file object: what is written comes out sealed into ``sink``. ``close`` seals
    the final chunk; without it the archive reads as truncated (as it should)."""

    def __init__(self, sink: BinaryIO, passphrase: str, work: WorkFactor | None = None) -> None:
        super().__init__()
        work = work or WorkFactor()
        if len(passphrase) < MIN_PASSPHRASE:
            raise ArchiveError(f"the passphrase must have at least {MIN_PASSPHRASE} characters.")
        salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
        fixed = _FIXED.pack(MAGIC, VERSION, work.opslimit, work.memlimit, salt)
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        header = sodium.crypto_secretstream_xchacha20poly1305_init_push(
            self._state, _key(passphrase, salt, work)
        )
        sink.write(fixed + header)
        self._sink = sink
        self._aad: bytes | None = fixed + header
        self._buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), _TAG_MESSAGE)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, tag: int) -> None:
        sealed = sodium.crypto_secretstream_xchacha20poly1305_push(self._state, plain, self._aad, tag)
        self._aad = None
        self._sink.write(_LENGTH.pack(len(sealed)) + sealed)

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), _TAG_FINAL)
            self._buffer.clear()
            self._sink.flush()
        super().close()


class OpeningReader(io.RawIOBase):
    """A read-only file object over a sealed archive: each chunk is verified before its bytes are
    handed on; a bad chunk, a missing end or bytes after the end raise ArchiveError."""

    def __init__(self, source: BinaryIO, passphrase: str) -> None:
        super().__init__()
        fixed = source.read(_FIXED.size)
        if len(fixed) < _FIXED.size or not fixed.startswith(MAGIC):
            raise ArchiveError("this is not a Tabyin backup archive.")
        _, version, opslimit, memlimit, salt = _FIXED.unpack(fixed)
        if version != VERSION:
            raise ArchiveError(f"archive format {version} is not known to this Tabyin (it reads {VERSION}).")
        if not (1 <= opslimit <= _MAX_OPSLIMIT and 8192 <= memlimit <= _MAX_MEMLIMIT):
            raise ArchiveError("the archive's header is damaged (impossible key-derivation cost).")
        header = source.read(sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES)
        if len(header) < sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES:
            raise ArchiveError("the archive is truncated (it ends inside its header).")
        self._state = sodium.crypto_secretstream_xchacha20poly1305_state()
        key = _key(passphrase, salt, WorkFactor(opslimit, memlimit))
        sodium.crypto_secretstream_xchacha20poly1305_init_pull(self._state, header, key)
        self._source = source
        self._aad: bytes | None = fixed + header
        self._pending = b""
        self._at = 0
        self._done = False
        self.offset = HEADER_BYTES

    def readable(self) -> bool:
        return True

    def _next(self) -> None:
        size_bytes = self._source.read(_LENGTH.size)
        if len(size_bytes) < _LENGTH.size:
            raise ArchiveError("the archive is truncated: its last part is missing.")
        (size,) = _LENGTH.unpack(size_bytes)
        if not _ABYTES <= size <= CHUNK + _ABYTES:
            raise ArchiveError(f"the archive is altered or damaged (bad chunk length at byte {self.offset}).")
        sealed = self._source.read(size)
        if len(sealed) < size:
            raise ArchiveError("the archive is truncated: its last part is missing.")
        first = self._aad is not None
        try:
            plain, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(self._state, sealed, self._aad)
        except nacl.exceptions.RuntimeError:
            if first:
                raise ArchiveError(
                    "wrong passphrase (or the archive's header is damaged): nothing was restored."
                ) from None
            raise ArchiveError(
                f"the archive is altered or damaged (a part at byte {self.offset} fails its check); "
                "nothing was restored."
            ) from None
        self._aad = None
        self.offset += _LENGTH.size + size
        self._pending, self._at = plain, 0
        if tag == _TAG_FINAL:
            self._done = True
            if self._source.read(1):
                raise ArchiveError("the archive is altered: there are bytes after its end.")

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self._at == len(self._pending) and not self._done:
            self._next()
        # An offset into the chunk, not a slice of it: tarfile reads in 10 KiB steps, and copying the
        # rest of a 1 MiB chunk at each step would make large archives quadratic.
        count = min(len(buffer), len(self._pending) - self._at)
        buffer[:count] = memoryview(self._pending)[self._at : self._at + count]
        self._at += count
        return count

    def drain(self) -> None:
        """Read to the authenticated end: a reader that stopped early has not proven the tail."""
        while not self._done:
            self._next()
        self._pending, self._at = b"", 0
