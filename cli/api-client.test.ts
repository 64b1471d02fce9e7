import { apiRoot } from './api-client';

describe('apiRoot', () => {
  it('takes the URL npm start prints (…/api/v1) as well as the bare server URL', () => {
    expect(apiRoot('http://127.0.0.1:3000/api/v1')).toBe('http://127.0.0.1:3000');
    expect(apiRoot('http://127.0.0.1:3000/api/v1/')).toBe('http://127.0.0.1:3000');
    expect(apiRoot('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
    expect(apiRoot('https://composer.example.org/analog')).toBe('https://composer.example.org/analog');
  });
});
