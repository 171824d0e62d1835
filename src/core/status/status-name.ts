/**
 * What a status page is called in its header, feeds and mail: "Acme status", but "Acme Status" for a
 * page already titled so (not "Acme Status status"), in any case.
 */
export const statusName = (pageTitle: string): string =>
  /\bstatus$/i.test(pageTitle.trim()) ? pageTitle.trim() : `${pageTitle.trim()} status`;
