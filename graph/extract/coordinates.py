"""Coordinates written with {{coord}}: decimal or degrees-minutes-seconds with a hemisphere letter → (lat, long)."""

from __future__ import annotations


def parse_coord(args: list[str]) -> tuple[float, float] | None:
    """``{{coord|52|35|28|N|1|24|37|W}}``, ``{{coord|52.59|-1.41}}`` → decimal degrees."""
    values = [a for a in args if a and ":" not in a and "=" not in a]
    numbers: list[list[float]] = [[]]
    signs = []
    for v in values:
        if v.upper() in {"N", "S", "E", "W"}:
            signs.append(-1 if v.upper() in {"S", "W"} else 1)
            numbers.append([])
            continue
        try:
            numbers[-1].append(float(v))
        except ValueError:
            break
    numbers = [n for n in numbers if n]
    if len(numbers) == 1 and len(numbers[0]) == 2 and not signs:
        lat, long = numbers[0]
    elif len(numbers) >= 2 and len(signs) >= 2:
        lat = signs[0] * dms(numbers[0])
        long = signs[1] * dms(numbers[1])
    else:
        return None
    if not (-90 <= lat <= 90 and -180 <= long <= 180):
        return None
    return round(lat, 5), round(long, 5)


def dms(parts: list[float]) -> float:
    degrees = parts[0] + (parts[1] / 60 if len(parts) > 1 else 0) + (parts[2] / 3600 if len(parts) > 2 else 0)
    return degrees
