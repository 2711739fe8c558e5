/** The status page's icon, served as /assets/favicon.svg (so browsers do not ask for a missing /favicon.ico). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="6" fill="#0550ae"/>' +
  '<path d="M4 23h24M7 23v-5a9 9 0 0 1 18 0v5M12 23v-5M16 23v-7M20 23v-5" stroke="#fff" ' +
  'stroke-width="2.5" fill="none" stroke-linecap="round"/>' +
  '</svg>\n';
