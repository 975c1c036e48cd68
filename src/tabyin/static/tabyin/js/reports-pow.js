// The report forms' proof-of-work challenge (reports/abuse.py): find a number `answer` such that
// SHA-256("nonce:answer") starts with `bits` zero bits, while the person types. It costs a
// browser a fraction of a second once per form and a flood the same for every post. Without this
// file the form still works: the server then accepts it only after a short wait.
// Our own SHA-256 (FIPS 180-4) for one block: WebCrypto is async per hash and missing on plain
// http, and no code comes from another site. Checked against Python's hashlib by the browser test.
(function () {
  "use strict";
  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ]);
  var H = new Int32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
  ]);
  var W = new Int32Array(64);
  var out = new Int32Array(8);

  // SHA-256 of an ASCII string of at most 55 characters (one block), into `out`.
  function sha256(text) {
    var n = text.length, i;
    for (i = 0; i < 16; i++) { W[i] = 0; }
    for (i = 0; i < n; i++) { W[i >> 2] |= text.charCodeAt(i) << (24 - 8 * (i & 3)); }
    W[n >> 2] |= 0x80 << (24 - 8 * (n & 3));
    W[15] = n * 8;
    for (i = 16; i < 64; i++) {
      var x = W[i - 15], y = W[i - 2];
      var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var a = H[0], b = H[1], c = H[2], d = H[3], e = H[4], f = H[5], g = H[6], h = H[7];
    for (i = 0; i < 64; i++) {
      var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      var t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    out[0] = (H[0] + a) | 0; out[1] = (H[1] + b) | 0; out[2] = (H[2] + c) | 0; out[3] = (H[3] + d) | 0;
    out[4] = (H[4] + e) | 0; out[5] = (H[5] + f) | 0; out[6] = (H[6] + g) | 0; out[7] = (H[7] + h) | 0;
    return out;
  }

  function leadingZeros(words, bits) {
    for (var i = 0; bits > 0; i++, bits -= 32) {
      var need = bits >= 32 ? 32 : bits;
      if ((words[i] >>> (32 - need)) !== 0) { return false; }
    }
    return true;
  }

  function solve(field) {
    var form = field.form;
    var nonce = field.getAttribute("data-pow-nonce");
    var bits = parseInt(field.getAttribute("data-pow-bits"), 10) || 0;
    // The "one moment" line sits after the form's button (each template puts it there): where the
    // person is looking, and nothing above it moves when it appears.
    var status = form.querySelector(".rp-pow");
    var waiting = false;
    var answer = 0;
    form.setAttribute("data-pow", field.value ? "solved" : "working");

    function done() {
      form.setAttribute("data-pow", "solved");
      if (waiting) { form.submit(); }
    }
    function slice() {
      var prefix = nonce + ":";
      for (var end = answer + 20000; answer < end; answer++) {
        if (leadingZeros(sha256(prefix + answer), bits)) {
          field.value = String(answer);
          done();
          return;
        }
      }
      setTimeout(slice, 0);
    }
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-pow") === "solved") { return; }
      event.preventDefault();
      waiting = true;
      if (status) {
        status.textContent = field.getAttribute("data-pow-wait");
        status.hidden = false;
      }
    });
    if (!field.value) { setTimeout(slice, 0); }
  }

  // Exposed for the browser test, which compares it with Python's hashlib.
  window.tabyinSha256Hex = function (text) {
    var words = sha256(text), hex = "";
    for (var i = 0; i < 8; i++) { hex += ("00000000" + (words[i] >>> 0).toString(16)).slice(-8); }
    return hex;
  };
  var fields = document.querySelectorAll("input[data-pow-nonce]");
  for (var i = 0; i < fields.length; i++) { solve(fields[i]); }
})();
