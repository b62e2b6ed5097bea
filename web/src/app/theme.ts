/**
 * The workspace's Mantine theme: one accent colour, compact radii and type sizes tuned for
 * dense, readable ticket lists.
 */
import { createTheme } from '@mantine/core';

/** The app theme. */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 6, dark: 5 },
  fontFamily: "'Inter Variable', Inter, -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, sans-serif",
  fontFamilyMonospace: "ui-monospace, 'SF Mono', Menlo, Consolas, monospace",
  headings: { fontWeight: '650' },
  defaultRadius: 'md',
  cursorType: 'pointer',
  fontSizes: { xs: '0.75rem', sm: '0.8125rem', md: '0.875rem', lg: '1rem', xl: '1.125rem' },
  components: {
    Tooltip: { defaultProps: { openDelay: 350, withArrow: true, fz: 'xs' } },
    Badge: { defaultProps: { radius: 'sm' } },
    Button: { defaultProps: { size: 'sm' } },
  },
});
