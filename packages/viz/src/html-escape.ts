/** Text made safe to put in HTML or SVG markup, in element content and in double-quoted attributes. */
export const escapeHtml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
