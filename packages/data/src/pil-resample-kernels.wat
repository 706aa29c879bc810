;; WebAssembly SIMD kernels of PIL's 8-bit two-pass resampling (pil-compatible-resize.js): the same
;; 22-bit fixed-point sums as Pillow's ImagingResampleHorizontal_8bpc / ImagingResampleVertical_8bpc,
;; four int32 lanes at a time. Every pointer is a byte offset into `memory`. The caller pads each
;; buffer by 8 bytes: both kernels read 8 bytes and write 4 that may run past a row's end (the extra
;; bytes are ignored when read and overwritten later when written). Weights are stored splatted:
;; four copies of each int32 (16 bytes per weight).
;; Compile: `npx tsx scripts/compile-resample-kernels.ts` (writes pil-resample-kernels-binary.js).
(module
  (memory (export "memory") 1)

  ;; Written out inline below (V8 does not inline wasm calls here): a pixel group is
  ;; i32x4.extend_low_i16x8_u(v128.load8x8_u p); clip8 of four 22-bit sums is (v >> 22) clamped to 0..255
  ;; (v <= 0 -> 0, v >= 2^30 -> 255), narrowed to bytes.

  ;; Horizontal pass of packed RGB: rows x (outWidth x 3) from rows x (srcStride bytes).
  ;; bounds: int32 pairs (first source column, taps) per output column; weights: splatted, ksize per column.
  (func (export "horizontalRgb")
    (param $src i32) (param $srcStride i32) (param $rows i32) (param $out i32) (param $outWidth i32)
    (param $bounds i32) (param $weights i32) (param $ksize i32)
    (local $y i32) (local $x i32) (local $row i32) (local $p i32) (local $w i32) (local $end i32)
    (local $acc v128) (local $o i32) (local $b i32)
    (local.set $o (local.get $out))
    (block $rowsDone (loop $rowsLoop
      (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $rows)))
      (local.set $row (i32.add (local.get $src) (i32.mul (local.get $y) (local.get $srcStride))))
      (local.set $x (i32.const 0))
      (block $colsDone (loop $colsLoop
        (br_if $colsDone (i32.ge_u (local.get $x) (local.get $outWidth)))
        (local.set $b (i32.add (local.get $bounds) (i32.shl (local.get $x) (i32.const 3))))
        (local.set $p (i32.add (local.get $row) (i32.mul (i32.load (local.get $b)) (i32.const 3))))
        (local.set $w (i32.add (local.get $weights) (i32.shl (i32.mul (local.get $x) (local.get $ksize)) (i32.const 4))))
        (local.set $end (i32.add (local.get $w) (i32.shl (i32.load offset=4 (local.get $b)) (i32.const 4))))
        (local.set $acc (v128.const i32x4 2097152 2097152 2097152 2097152))
        (block $tapsDone (loop $tapsLoop
          (br_if $tapsDone (i32.ge_u (local.get $w) (local.get $end)))
          (local.set $acc (i32x4.add (local.get $acc)
            (i32x4.mul (i32x4.extend_low_i16x8_u (v128.load8x8_u (local.get $p))) (v128.load (local.get $w)))))
          (local.set $p (i32.add (local.get $p) (i32.const 3)))
          (local.set $w (i32.add (local.get $w) (i32.const 16)))
          (br $tapsLoop)))
        (v128.store32_lane 0 (local.get $o) (i8x16.narrow_i16x8_u
          (i16x8.narrow_i32x4_s
            (i32x4.min_s (i32x4.max_s (i32x4.shr_s (local.get $acc) (i32.const 22)) (v128.const i32x4 0 0 0 0))
              (v128.const i32x4 255 255 255 255))
            (v128.const i32x4 0 0 0 0))
          (v128.const i32x4 0 0 0 0)))
        (local.set $o (i32.add (local.get $o) (i32.const 3)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $colsLoop)))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br $rowsLoop))))

  ;; Vertical pass: outHeight x stride bytes from rows of stride bytes (any channel count).
  ;; bounds: int32 pairs (first source row, already relative to $src; taps) per output row.
  (func (export "vertical")
    (param $src i32) (param $stride i32) (param $out i32) (param $outHeight i32)
    (param $bounds i32) (param $weights i32) (param $ksize i32)
    (local $y i32) (local $i i32) (local $base i32) (local $taps i32) (local $w0 i32)
    (local $t i32) (local $p i32) (local $acc v128) (local $o i32)
    (block $rowsDone (loop $rowsLoop
      (br_if $rowsDone (i32.ge_u (local.get $y) (local.get $outHeight)))
      (local.set $base (i32.add (local.get $src)
        (i32.mul (i32.load (i32.add (local.get $bounds) (i32.shl (local.get $y) (i32.const 3)))) (local.get $stride))))
      (local.set $taps (i32.load offset=4 (i32.add (local.get $bounds) (i32.shl (local.get $y) (i32.const 3)))))
      (local.set $w0 (i32.add (local.get $weights) (i32.shl (i32.mul (local.get $y) (local.get $ksize)) (i32.const 4))))
      (local.set $o (i32.add (local.get $out) (i32.mul (local.get $y) (local.get $stride))))
      (local.set $i (i32.const 0))
      (block $colsDone (loop $colsLoop
        (br_if $colsDone (i32.ge_u (local.get $i) (local.get $stride)))
        (local.set $acc (v128.const i32x4 2097152 2097152 2097152 2097152))
        (local.set $p (i32.add (local.get $base) (local.get $i)))
        (local.set $t (i32.const 0))
        (block $tapsDone (loop $tapsLoop
          (br_if $tapsDone (i32.ge_u (local.get $t) (local.get $taps)))
          (local.set $acc (i32x4.add (local.get $acc)
            (i32x4.mul (i32x4.extend_low_i16x8_u (v128.load8x8_u (local.get $p)))
              (v128.load (i32.add (local.get $w0) (i32.shl (local.get $t) (i32.const 4)))))))
          (local.set $p (i32.add (local.get $p) (local.get $stride)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tapsLoop)))
        (v128.store32_lane 0 (i32.add (local.get $o) (local.get $i)) (i8x16.narrow_i16x8_u
          (i16x8.narrow_i32x4_s
            (i32x4.min_s (i32x4.max_s (i32x4.shr_s (local.get $acc) (i32.const 22)) (v128.const i32x4 0 0 0 0))
              (v128.const i32x4 255 255 255 255))
            (v128.const i32x4 0 0 0 0))
          (v128.const i32x4 0 0 0 0)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $colsLoop)))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br $rowsLoop))))
)
