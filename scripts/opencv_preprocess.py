#!/usr/bin/env python3
"""Oracle for the RL wrapper tests: OpenCV's RGB-to-gray and INTER_AREA resize.

Reads an H x W x C uint8 image (raw bytes) from standard input and prints one JSON object with
cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA) and, for C == 3,
cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), both flattened in C order.

    opencv_preprocess.py H W C h w < image.bytes
"""
import json
import sys

import cv2
import numpy as np


def main():
    height, width, channels, out_h, out_w = (int(a) for a in sys.argv[1:6])
    data = np.frombuffer(sys.stdin.buffer.read(), dtype=np.uint8)
    image = data.reshape(height, width, channels) if channels > 1 else data.reshape(height, width)
    resized = cv2.resize(image, (out_w, out_h), interpolation=cv2.INTER_AREA)
    result = {"resized": resized.flatten().tolist()}
    if channels == 3:
        result["gray"] = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).flatten().tolist()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
