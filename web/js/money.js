// Money, exactly. The API's amounts are decimal strings with at most two
// digits after the point ("1234.50", "-12", "0.5"); the page adds them up
// in integer cents with BigInt, never in binary floating point, so
// "0.10" + "0.20" is "0.30" and a 100-line commitment totals to the cent.

const AMOUNT = /^([-+])?(\d*)(?:\.(\d{0,2}))?$/;

// The amount in cents (a BigInt), or null when `text` is not an amount.
// The empty string is null too (no amount given).
export function parseCents(text) {
  if (typeof text !== 'string') return null;
  const match = AMOUNT.exec(text.trim());
  if (!match || (match[2] === '' && !match[3])) return null;
  const cents = BigInt(match[2] || '0') * 100n + BigInt((match[3] || '').padEnd(2, '0'));
  return match[1] === '-' ? -cents : cents;
}

// The sum of `amounts` (strings) in cents. Empty amounts count as zero;
// the result is null when any amount is malformed (the page then shows no
// total rather than a wrong one).
export function sumCents(amounts) {
  let total = 0n;
  for (const amount of amounts) {
    if (amount === undefined || amount === null || amount === '') continue;
    const cents = parseCents(amount);
    if (cents === null) return null;
    total += cents;
  }
  return total;
}

function groupThousands(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// "12,500.75" for 1250075n; "-0.05" for -5n; "" for null.
export function formatCents(cents) {
  if (cents === null || cents === undefined) return '';
  const negative = cents < 0n;
  const magnitude = negative ? -cents : cents;
  const whole = groupThousands((magnitude / 100n).toString());
  const fraction = (magnitude % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

// An amount string for people ("12500.5" -> "12,500.50"); what is not an
// amount is shown as it came.
export function formatAmount(text) {
  const cents = parseCents(text);
  return cents === null ? (text || '') : formatCents(cents);
}
