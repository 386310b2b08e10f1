import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import { fileURLToPath, URL } from 'node:url'

// The gateway serves dist/ at "/" (hashed assets under /assets are cached for a year, index.html never).
// `npm run dev` proxies the API to a gateway on :8080 so the app can be worked on with hot reload.
export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // Libraries change rarely: a separate chunk stays cached across app releases.
        advancedChunks: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)/ },
            { name: 'element-plus', test: /node_modules[\\/](element-plus|@element-plus)/ },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|pinia|vue-i18n|@intlify)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/v1': 'http://127.0.0.1:8080',
      '/health': 'http://127.0.0.1:8080',
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts'],
    // Element Plus imports async-validator (CommonJS) by default import; loaded by Node unbundled it gets the
    // module object instead of the class, and every el-form validate() resolves true. Inlined, Vite does the
    // interop as the real build does, so form rules are exercised in tests.
    server: { deps: { inline: ['element-plus'] } },
  },
})
