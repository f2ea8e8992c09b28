#!/usr/bin/env bash
# Draws the console's icon (a house on a blue tile) and its sizes with ImageMagick.
# Tauri wants RGBA PNGs, hence PNG32. Run from anywhere: bash icons/generate.sh
set -euo pipefail
cd "$(dirname "$0")"

convert -size 512x512 xc:none -fill '#0b5cad' -draw 'roundrectangle 16,16 495,495 96,96' \
  -fill white -draw 'polygon 256,92 428,236 392,236 392,412 120,412 120,236 84,236' \
  -fill '#0b5cad' -draw 'roundrectangle 222,300 290,412 10,10' \
  -fill '#ffbf47' -draw 'circle 256,206 256,236' PNG32:icon.png
convert icon.png -resize 32x32 PNG32:32x32.png
convert icon.png -resize 128x128 PNG32:128x128.png
convert icon.png -resize 256x256 PNG32:128x128@2x.png
