/** gifenc ships no types; progress-gif.ts describes the three functions it uses. */
declare module "gifenc"
