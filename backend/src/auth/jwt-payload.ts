/** What a human JWT carries; the role is re-read from the database on every request. */
export interface JwtPayload {
  sub: number;
  name: string;
}
