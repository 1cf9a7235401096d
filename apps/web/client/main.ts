import './styles.css';
import { startLivePanel } from './live-panel.js';
import { startMessageBoard } from './message-board.js';

startLivePanel();
startMessageBoard();
