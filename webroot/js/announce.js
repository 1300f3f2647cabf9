// Status messages for screen readers go through the one polite live region in index.html.
let timer;

export function announce(text) {
  const region = document.getElementById('status');
  if (!region) return;
  region.textContent = '';
  clearTimeout(timer);
  // Emptying first and filling a moment later makes readers speak a message even when it
  // repeats the previous one ("Gespeichert" twice in a row).
  timer = setTimeout(() => { region.textContent = text; }, 120);
}
