/** The request options for an `/{id}` path: `api.GET('/api/v1/jobs/{id}', byId(7))`. */
export const byId = (id: number) => ({ params: { path: { id } } });
