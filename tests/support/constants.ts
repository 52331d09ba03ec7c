// Names of the seeded demo fleet (sandbox/seed) the tests refer to, in one place.
export const PROD = "111122223333";
export const REGION = "us-east-1";
/** The account/region every request test works in. */
export const LOC = { accountId: PROD, region: REGION };
export const TARGETS = [{ accountId: PROD, region: REGION, clusters: ["*"] }];
export const PI_ROLE = `arn:aws:iam::${PROD}:role/domino/domino-pi-unmapped`;
export const OTHER_PI_ROLE = `arn:aws:iam::${PROD}:role/domino/domino-pi-data-quality`;
